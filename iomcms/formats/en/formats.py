# The site's English has always written dates day first ("3 December 2026"), as the
# organization's releases do; Django's English default is "Dec. 3, 2026".
DATE_FORMAT = "j F Y"

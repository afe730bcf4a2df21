"""Our departures from Django's locale formats (settings.FORMAT_MODULE_PATH); anything not set
here comes from Django's own format file for the language."""

"""Settings package: ``base`` holds everything shared, the others adjust it.

``dev`` is the default (``manage.py``), ``test`` is used by pytest, and ``production`` is what
servers run (``DJANGO_SETTINGS_MODULE=iomcms.settings.production``).
"""

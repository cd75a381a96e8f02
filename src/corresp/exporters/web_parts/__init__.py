"""The parts of the web edition (exporters/web.py): pages, search, links, downloads."""

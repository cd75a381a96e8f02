"""Pieces of the EPUB exporter: XHTML pages built with lxml, package metadata, canonical zip.

`corresp.exporters.epub` assembles them with ebooklib; each module here does one thing.
"""

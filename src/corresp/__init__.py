"""corresp: scholarly editions of historical correspondence, from plain text to EPUB, PDF, DOCX and JSON."""
__version__ = "0.1.0"

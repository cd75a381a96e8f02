"""Parts of the PDF exporter: style file, fonts, footnote layout, page layout, story."""

"""Parts of the DOCX exporter: the pandoc AST builder, the pandoc runner, the lxml post-processing
that pandoc cannot do itself (custom note marks, per-document sections) and the style names."""

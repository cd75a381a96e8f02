"""Where words.py, linebreak.py and textblock.py find `twin`: it is corresp/compiled.py's."""
from ...compiled import SUFFIX, source_digest, twin, twin_name, use_twin  # noqa: F401

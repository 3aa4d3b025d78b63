"""The meeting formats: TOML files, and the schema that reads them.

Each `*.toml` file in this folder is one built-in format. A facilitator's own
formats live in `<config folder>/formats/` and load the same way; one with a
built-in's id replaces it. A broken file never stops the others from loading:
its problem is reported with the file, the line and what is wrong.

A format's `kind` names its unit in `facilitate.kinds` (its events, operations
and record) and `screens.kinds` (its board, dialogs and keys).
"""

from formats.schema import (
    Format,
    FormatError,
    FormatLibrary,
    PhaseSpec,
    builtin_dir,
    load_format,
    load_library,
)

__all__ = [
    "Format",
    "FormatError",
    "FormatLibrary",
    "PhaseSpec",
    "builtin_dir",
    "load_format",
    "load_library",
]

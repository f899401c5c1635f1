"""Claims drafted from an article's plain text (draft.py), with the vocabularies as data tables (tables.py)."""

"""Board templates: the TOML format, its checks and their wording, the gallery of files."""

"""Storage: the database engine, its tables and schema revisions, transactions, and the stores
of boards and templates. The only package that speaks SQL."""

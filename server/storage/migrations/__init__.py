"""Database schema migrations (Alembic).

Why: a team upgrades its server and keeps its boards. Every change to `server/storage/tables.py`
comes with a revision in `versions/`, applied at start by `server.storage.schema`
(docs/deployment.md).
"""

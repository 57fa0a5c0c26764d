"""Database schema migrations (Alembic).

Why: a team upgrades its server and keeps its boards. Every change to `server/models.py` comes
with a revision in `versions/`, applied at start by `server.schema` (docs/deployment.md).
"""

"""The board domain: rooms, documents, admission of updates, votes, presence, templates, exports
and the plain records storage hands over. Loads no database, HTTP or Socket.IO library: storage
and transport are injected (see the protocols in room.py, registry.py and creation.py)."""

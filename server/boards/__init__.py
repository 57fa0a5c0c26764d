"""The board domain: documents, rooms, storage, templates. Knows nothing of HTTP or Socket.IO."""

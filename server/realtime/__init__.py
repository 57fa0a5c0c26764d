"""Real time: the Socket.IO/Engine.IO transport, the handlers of its events, delivery to the
members of a board (outbox, merge window, direct writes) and the Redis bus between processes."""

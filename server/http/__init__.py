"""HTTP: the routes of the API and the reading of requests; each module one group of routes."""

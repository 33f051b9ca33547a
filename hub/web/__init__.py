"""The hub's own web pages (`/web/`), split by audience: see `hub.web.routes`."""

"""The hub's own web pages (`/web/`): public status lookup, FAQ, and the institution workbench.

Server-rendered (Jinja2, autoescaped), Chinese first with an English switch, no scripts and
no external assets. The routes live in `hub.api.routes_web`; this package holds the
session cookie and CSRF logic (`session`), the page texts (`i18n`) and the templates.
"""

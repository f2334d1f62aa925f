"""Teaching code for the pages: snippets/<topic>.py is the lesson a page shows, snippets/experiments/<topic>.py
its experiments (`python -m snippets <topic>`), the other modules are shared (CONTRIBUTING.md)."""

"""Teaching code for the pages: each module is one idea, run as `python -m snippets.<topic>`."""

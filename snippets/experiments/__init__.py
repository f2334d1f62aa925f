"""The experiments of each page, one module per topic (snippets/experiments/<topic>.py), read like a
scikit-learn gallery example: the story in the docstring, then data, experiments, figures and
`report(outdir) -> dict`, which the site build runs to get the page's numbers and figures.
Run one with `python -m snippets <topic>`."""

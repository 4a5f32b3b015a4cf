"""The application layer: the only place that orchestrates the core for the UI and the CLI.

- ``services.results``: a firm's complete results (scores, DII, comparisons, archetype, peer
  signals, roadmap, what-if inputs) as one ``ResultsBundle``, computed once per answers revision
  and pool version; the PDF is built from that bundle.
- ``services.pool``: the comparison pool read from storage (real or synthetic, never both).

No Streamlit here; pages and commands call these functions and only lay out or print the values.
"""

"""Scoring against benchmarks: official statistics, the peer pool, archetypes and nearest peers.

Pure functions over pandas/numpy (no UI code), used by the results page, the PDF and the CLI:

- ``indicators.compare_indicators``: the firm against published adoption rates (``statistics.yaml``),
  through the item mapping ``indicator_map.yaml``;
- ``peers.PeerPool`` / ``peers.percentiles``: percentile ranks in sector × size × region cells,
  with fallback and suppression below k firms;
- ``archetypes``: KMeans profiles of the pool; ``neighbours``: what leading similar firms use;
- ``report.benchmark_firm``: all of the above for one firm; ``synthetic``: demo populations.
"""

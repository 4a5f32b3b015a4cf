"""The Streamlit user interface: thin pages (ui/pages) over the pure core, plus small helpers."""

"""The benchmarks' baseline: a Streamlit page that does almost nothing (bench/bench_load.py reruns
it; bench/bench_browser.py clicks its radio)."""

import streamlit as st

st.title("ok")
st.write("trivial page")
st.radio("choice", ["a", "b"], index=None, horizontal=True)

"""The load benchmark's baseline: a Streamlit page that does almost nothing (bench/bench_load.py)."""

import streamlit as st

st.title("ok")
st.write("trivial page")

"""Shared pieces of the Streamlit pages: data for the filtered view, map, legend, tables."""

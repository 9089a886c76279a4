"""The published language between services: event payload schemas. Pure data, no behaviour.

Publishers build these models; consumers validate incoming ``data`` against them. They are the
source of the AsyncAPI document.
"""

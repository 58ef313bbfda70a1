"""`kollega bench routing`: replay a Stack Exchange dump and measure who-would-answer rankings.

- `dump` reads the dump into timed events;
- `replay` walks them in time order, asks each system for a ranking before each
  test question is applied, and scores the rankings against who really answered;
- `systems` holds the three baselines and the adapter to Kollega's own ranking
  (`kollega.expertise.ranking`, the one module the product uses);
- `learned` is the learned-routing experiment (`--experiments`), which the
  product does not run.
"""

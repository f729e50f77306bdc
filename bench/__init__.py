"""The national-scale benchmark (`make bench`, GitHub issue 4): see bench/run.py."""

-- Write the patched base warehouse to its file before it is published.
checkpoint base

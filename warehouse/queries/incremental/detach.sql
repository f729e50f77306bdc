-- Done with the base warehouse and the pipeline file.
detach base;
detach pipeline

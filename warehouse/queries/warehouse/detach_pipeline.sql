detach pipeline

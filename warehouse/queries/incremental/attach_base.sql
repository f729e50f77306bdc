-- The warehouse file an incremental build patches (a private copy of the published one, or a fresh
-- full build not yet published), attached beside the in-memory scratch build. ? = its path.
attach ? as base

"""Pure computations on tidy frames: common indicators and one module per topic."""

"""Templates and policies, the project charter and documents under configuration control."""

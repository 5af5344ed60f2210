"""The shared vocabulary of actorgraph: kinds, relation types, models and graph constraints."""

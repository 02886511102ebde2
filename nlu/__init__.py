"""Chung Tay's Vietnamese NLU: pure-Python text helpers plus Rasa components (nlu/components)."""

"""Speech to timed words: the faster-whisper engine, the serving plans a retrain chooses, learned words and
languages."""

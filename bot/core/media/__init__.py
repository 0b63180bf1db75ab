"""Media in: links fetched with yt-dlp behind an allow-list, any audio decoded to 16 kHz mono."""

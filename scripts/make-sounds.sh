#!/bin/sh
# Generates the bundled alarm and chime sounds with sox, so they are ours and license-clean.
# Run from the repository root: sh scripts/make-sounds.sh. Output: assets/sounds/*.wav (mono, 16-bit, 22.05 kHz).
set -eu
out=assets/sounds
mkdir -p "$out"
rate=22050
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Alarm: two-tone square-ish beeps (880/660 Hz), four pairs then a short rest: about 2 s, meant to loop.
sox -n -r $rate -c 1 -b 16 "$tmp/hi.wav" synth 0.18 square 880 vol 0.5 fade t 0.005 0.18 0.01
sox -n -r $rate -c 1 -b 16 "$tmp/lo.wav" synth 0.18 square 660 vol 0.5 fade t 0.005 0.18 0.01
sox -n -r $rate -c 1 -b 16 "$tmp/gap.wav" trim 0 0.06
sox -n -r $rate -c 1 -b 16 "$tmp/rest.wav" trim 0 0.3
sox "$tmp/hi.wav" "$tmp/gap.wav" "$tmp/lo.wav" "$tmp/gap.wav" \
    "$tmp/hi.wav" "$tmp/gap.wav" "$tmp/lo.wav" "$tmp/gap.wav" \
    "$tmp/hi.wav" "$tmp/gap.wav" "$tmp/lo.wav" "$tmp/gap.wav" "$tmp/rest.wav" "$out/alarm.wav" norm -1

# Chime: a soft two-note bell (E6 then C6) with exponential decay: about 1.2 s.
sox -n -r $rate -c 1 -b 16 "$tmp/c1.wav" synth 0.6 sine 1318.5 fade q 0.005 0.6 0.55
sox -n -r $rate -c 1 -b 16 "$tmp/c2.wav" synth 0.6 sine 1046.5 fade q 0.005 0.6 0.55
sox "$tmp/c1.wav" "$tmp/c2.wav" "$out/chime.wav" norm -3

ls -l "$out"

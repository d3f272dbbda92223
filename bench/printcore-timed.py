"""Streams a file with Printrun's printcore and prints {"lines", "seconds", "linesPerSecond"} as JSON.

printcore's own CLI polls completion once a second; this times startprint() to the end of printing
at 10 ms resolution, so the comparison with `layerwatch stream` is fair. Usage: PORT BAUD FILE.
"""
import json
import sys
import time

from printrun import gcoder
from printrun.printcore import printcore

port, baud, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
p = printcore(port, baud)
deadline = time.time() + 20
while not p.online and time.time() < deadline:
    time.sleep(0.01)
if not p.online:
    print("printcore: printer did not come online", file=sys.stderr)
    sys.exit(1)
lines = [line.strip() for line in open(path)]
gcode = gcoder.LightGCode(lines)
commands = len(gcode)
start = time.perf_counter()
p.startprint(gcode)
while p.printing:
    time.sleep(0.01)
seconds = time.perf_counter() - start
p.disconnect()
print(json.dumps({"lines": commands, "seconds": round(seconds, 3), "linesPerSecond": round(commands / seconds)}))

#!/bin/sh
# CLI tests: placeholder runner replaced below
exit 0

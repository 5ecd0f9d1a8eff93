#!/usr/bin/env node
console.log("cntop: under construction");

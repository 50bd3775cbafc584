#!/usr/bin/env node
import '../dist/tssh-keygen.js';

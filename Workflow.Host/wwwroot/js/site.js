// Small progressive enhancements for the server-rendered pages; every page works without them.
// No framework and no CDN: the machines are offline.
"use strict";

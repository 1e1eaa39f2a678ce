module.exports = require("./temp-dir").removeRunTempDir;

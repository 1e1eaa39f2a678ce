module.exports = require("./temp-dir").createRunTempDir;

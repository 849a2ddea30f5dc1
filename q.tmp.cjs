const {Client}=require('pg');(async()=>{const c=new Client({connectionString:'postgres://sentinel@127.0.0.1:55432/probe'});await c.connect();await c.query(process.argv[2]);await c.end()})()

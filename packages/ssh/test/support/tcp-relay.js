// A minimal ProxyCommand: connects to argv host:port and relays stdin/stdout, like `nc host port`
// (neither nc nor socat is installed here).
const net = require('node:net');
const [host, port] = process.argv.slice(2);
const socket = net.connect({ host, port: Number(port) });
socket.on('error', (error) => {
  process.stderr.write(`relay: ${error.message}\n`);
  process.exit(1);
});
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('close', () => process.exit(0));

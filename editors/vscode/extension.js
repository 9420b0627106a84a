// promiselint for VS Code: starts `promiselint lsp` and lets vscode-languageclient
// show its diagnostics, hovers and quick fixes.
'use strict';

const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

const LANGUAGES = ['plaintext', 'markdown', 'html', 'json', 'jsonc', 'po', 'csv'];
const PATTERNS = ['**/*.{txt,md,markdown,mdx,html,htm,xhtml,liquid,json,po,pot,csv}'];

let client;

/** The command to run: promiselint.path (with ${workspaceFolder}; relative to the first folder). */
function serverCommand() {
  const config = vscode.workspace.getConfiguration('promiselint');
  const folder = (vscode.workspace.workspaceFolders || [])[0];
  const root = folder ? folder.uri.fsPath : undefined;
  let command = (config.get('path') || 'promiselint').trim();
  if (root) {
    command = command.split('${workspaceFolder}').join(root);
    if (!path.isAbsolute(command) && /[\\/]/.test(command)) {
      command = path.join(root, command);
    }
  }
  const args = [...(config.get('args') || []), 'lsp'];
  return { command, args, options: root ? { cwd: root } : {} };
}

function clientOptions() {
  const config = vscode.workspace.getConfiguration('promiselint');
  const selector = [];
  for (const scheme of ['file', 'untitled']) {
    for (const language of LANGUAGES) {
      selector.push({ scheme, language });
    }
  }
  for (const pattern of PATTERNS) {
    selector.push({ scheme: 'file', pattern });
  }
  return {
    documentSelector: selector,
    initializationOptions: { site: config.get('site', true) },
    // a changed .promiselint.yaml re-checks the open documents
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.promiselint.yaml') },
  };
}

async function start() {
  const server = serverCommand();
  client = new LanguageClient('promiselint', 'promiselint', server, clientOptions());
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    vscode.window.showErrorMessage(
      `promiselint: could not start "${server.command} ${server.args.join(' ')}" (${err.message}). ` +
      'Install promiselint (pip install . in its repository) or set promiselint.path.');
  }
}

async function restart() {
  if (client) {
    const old = client;
    client = undefined;
    await old.stop();
  }
  await start();
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('promiselint.restart', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('promiselint')) {
        restart();
      }
    }));
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, serverCommand, clientOptions };

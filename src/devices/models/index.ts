/**
 * Device models as data (Odoo IoT keeps scale protocols as data the same way): what a model speaks, so a
 * station's configuration only names the model and where the device is. Adding a model means adding an
 * entry to the file of its role (and, for a new protocol, a parser and a driver) — see docs/devices.md.
 */
export * from './card-readers';
export * from './catalog';
export * from './common';
export * from './config';
export * from './face-terminals';
export * from './pos-terminals';
export * from './scanners';

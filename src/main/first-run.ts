/**
 * How the shell starts on a data dir (issue 11, item 2). A hospital's packaged app on a PC whose data dir holds
 * no station.config.json has never been configured: it must not start training on its own — a cashier would
 * settle patients against the simulators — so IT is asked, with the folder to configure and an explicit choice
 * of training (in the data dir's own training folder, never mixed with live data). `--training` is that choice
 * made on the command line. An unpackaged (development, e2e) run keeps the core's own rule: unconfigured trains.
 */

/** The station's configuration file (src/station/config.ts; not imported here, to keep its schemas out of the shell). */
export const CONFIG_FILE = 'station.config.json';

export type StartChoice = 'live' | 'training' | 'ask' | 'core-decides';

export function startChoice(opts: { trainingFlag: boolean; configured: boolean; packaged: boolean }): StartChoice {
  if (opts.trainingFlag) return 'training';
  if (opts.configured) return 'live';
  return opts.packaged ? 'ask' : 'core-decides';
}

/** What IT reads in the first-run box: where the configuration goes, and that training is a separate place. */
export function firstRunText(
  dataDir: string,
  trainingDir: string,
): { title: string; message: string; detail: string; buttons: [string, string] } {
  return {
    title: '医保收费工作站',
    message: '本机尚未配置为正式收费工作站',
    detail: [
      `请信息科将 ${CONFIG_FILE} 与密钥文件放入：`,
      `  ${dataDir}`,
      '（配置与密钥见随附文档 docs/operations.md），然后重新启动本程序。',
      '',
      '也可以先进入培训模式：连接模拟的医保中心、HIS 与设备，数据单独保存在',
      `  ${trainingDir}`,
      '不会与正式数据混在一起。',
    ].join('\n'),
    buttons: ['进入培训模式', '退出'],
  };
}

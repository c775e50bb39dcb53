import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FerStack } from './dist/lib/cloud/fer-stack.js';
import fs from 'node:fs'; const app = new App({ context: { ...JSON.parse(fs.readFileSync('cdk.json','utf8')).context, 'aws:cdk:disable-asset-staging': true } });
const stack = new FerStack(app, 'Fer', { sourceBuckets: ['other-bucket'] });
app.synth();
const report = new AwsSolutionsChecks().validateScope(app);
console.log(JSON.stringify(report, null, 1).slice(0, 6000));
